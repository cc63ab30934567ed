// Recognises constraint violations from either engine (SQLite via better-sqlite3, PostgreSQL via pg), so that the
// store can turn the database's last-line-of-defence refusals into problems instead of 500s.
interface DriverError {
  code?: unknown;
}

/** A FOREIGN KEY refusal: a referenced row is gone, or a referencing row still exists. */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  // PostgreSQL SQLSTATE 23503 foreign_key_violation; SQLite extended result code SQLITE_CONSTRAINT_FOREIGNKEY.
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** A UNIQUE (or primary key) refusal. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
