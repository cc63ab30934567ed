// The query parameters both usage operations share (UsageFrom, UsageTo, UsageGroupBy, UsageCredentialId,
// UsageOperationId), already validated against the spec: `groupBy` arrives as one string or as an array, depending on how often it was repeated.
import type { Request } from 'express';
import { queryString } from '../../../internal/src/http/query';
import type { UsageDimension, UsageReportQuery } from '../../../keys/src/store/usage-reports';

export function usageQueryOf(
  req: Request,
): Pick<UsageReportQuery, 'from' | 'to' | 'groupBy' | 'credentialId' | 'operationId'> {
  const raw = req.query.groupBy;
  const groupBy = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String) as UsageDimension[];
  const from = queryString(req.query, 'from');
  const to = queryString(req.query, 'to');
  const credentialId = queryString(req.query, 'credentialId');
  const operationId = queryString(req.query, 'operationId');
  return {
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(groupBy.length > 0 ? { groupBy } : {}),
    ...(credentialId !== undefined ? { credentialId } : {}),
    ...(operationId !== undefined ? { operationId } : {}),
  };
}
