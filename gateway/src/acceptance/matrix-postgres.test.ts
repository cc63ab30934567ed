// The acceptance matrix on PostgreSQL (DATABASE_URL; reported as skipped without it); see acceptance-matrix.ts.
import { defineAcceptanceMatrix } from './acceptance-matrix';

defineAcceptanceMatrix('postgres');
