// For code that prefers exceptions: the data of a call, or its PorticoError thrown.
import type { Result } from './types';

export async function unwrap<Data>(call: Promise<Result<Data>> | Result<Data>): Promise<Data> {
  const result = await call;
  if (result.error) throw result.error;
  return result.data;
}
