// Inserts many generated rows fast on both engines: on SQLite multi-row INSERT … VALUES statements up to the
// bind-parameter limit, on PostgreSQL INSERT … SELECT FROM unnest(<one array per column>); several statements per
// transaction, and on PostgreSQL a few transactions in parallel. Rows are made batch by batch, so a million of them
// never sit in memory together.
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Dialect } from '../../internal/src/store/database';

/** Bind parameters one SQLite statement may carry (SQLITE_MAX_VARIABLE_NUMBER since SQLite 3.32). */
const SQLITE_MAX_PARAMETERS = 32_766;
/** Rows per SQLite statement beyond which a bigger statement no longer pays (fewer statements, longer parses). */
const MAX_ROWS_PER_STATEMENT = 2_000;
/** Rows per PostgreSQL statement: arrays of this length are a few hundred kilobytes per statement. */
const POSTGRES_ROWS_PER_STATEMENT = 5_000;
const STATEMENTS_PER_TRANSACTION = 10;
/** SQLite has one writer; PostgreSQL takes concurrent writers into different pages of the same table well. */
const PARALLEL_TRANSACTIONS: Record<Dialect, number> = { sqlite: 1, postgres: 4 };

export interface BulkInsert<Row> {
  table: string;
  /** Every column of the table, in the order the values are bound. */
  columns: readonly (keyof Row & string)[];
  count: number;
  /** The row at `index`; called once per index, in increasing order within a batch. */
  row: (index: number) => Row;
}

export async function bulkInsert<Row>(
  db: Kysely<unknown>,
  dialect: Dialect,
  spec: BulkInsert<Row>,
  signal: AbortSignal,
): Promise<void> {
  const { count } = spec;
  const statement = dialect === 'postgres' ? await unnestStatement(db, spec) : valuesStatement(spec);
  const rowsPerTransaction = statement.rowsPerStatement * STATEMENTS_PER_TRANSACTION;

  let nextStart = 0;
  let failed = false;
  const worker = async () => {
    try {
      while (nextStart < count && !failed) {
        // better-sqlite3 works synchronously: without a turn of the event loop, Ctrl-C would wait for the whole load.
        await new Promise(setImmediate);
        signal.throwIfAborted();
        const start = nextStart;
        const end = Math.min(count, start + rowsPerTransaction);
        nextStart = end;
        await db.transaction().execute(async (trx) => {
          for (let from = start; from < end; from += statement.rowsPerStatement) {
            const rows: Row[] = [];
            for (let index = from; index < Math.min(end, from + statement.rowsPerStatement); index++) {
              rows.push(spec.row(index));
            }
            await trx.executeQuery(statement.compile(rows));
          }
        });
      }
    } catch (error) {
      failed = true;
      throw error;
    }
  };
  // Settled, not just rejected: when one writer fails, the others stop and finish before the caller closes the pool.
  const results = await Promise.allSettled(Array.from({ length: PARALLEL_TRANSACTIONS[dialect] }, worker));
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
}

interface Statement<Row> {
  readonly rowsPerStatement: number;
  compile(rows: readonly Row[]): CompiledQuery;
}

/** SQLite: `insert … values (?, …), (?, …) …`, as many rows as the bind-parameter limit allows. */
function valuesStatement<Row>({ table, columns }: BulkInsert<Row>): Statement<Row> {
  const rowsPerStatement = Math.min(
    MAX_ROWS_PER_STATEMENT,
    Math.floor(SQLITE_MAX_PARAMETERS / columns.length),
  );
  const texts = new Map<number, string>();
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  return {
    rowsPerStatement,
    compile(rows) {
      let text = texts.get(rows.length);
      if (text === undefined) {
        text = `insert into ${table} (${columns.join(', ')}) values ${Array(rows.length).fill(tuple).join(', ')}`;
        texts.set(rows.length, text);
      }
      const parameters: unknown[] = [];
      for (const row of rows) for (const column of columns) parameters.push(row[column]);
      return CompiledQuery.raw(text, parameters);
    },
  };
}

/**
 * PostgreSQL: `insert … select * from unnest($1::text[], $2::text[], …)`, one array parameter per column. The
 * statement stays small whatever the row count, so the server parses 17 parameters instead of 34,000.
 */
async function unnestStatement<Row>(
  db: Kysely<unknown>,
  { table, columns }: BulkInsert<Row>,
): Promise<Statement<Row>> {
  const { rows: types } = await sql<{ column_name: string; data_type: string }>`
    select column_name, data_type from information_schema.columns
    where table_schema = current_schema() and table_name = ${table}`.execute(db);
  const typeOf = new Map(types.map((t) => [t.column_name, t.data_type]));
  const arrays = columns.map((column, i) => {
    const type = typeOf.get(column);
    if (type === undefined) throw new Error(`${table} has no column ${column}`);
    return `$${i + 1}::${type}[]`;
  });
  const text = `insert into ${table} (${columns.join(', ')}) select * from unnest(${arrays.join(', ')})`;
  return {
    rowsPerStatement: POSTGRES_ROWS_PER_STATEMENT,
    compile: (rows) =>
      CompiledQuery.raw(
        text,
        columns.map((column) => rows.map((row) => row[column])),
      ),
  };
}
