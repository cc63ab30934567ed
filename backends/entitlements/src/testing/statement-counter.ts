// A Kysely plugin that records the kind of every statement a store function builds, so that a test can state how
// many queries an operation costs (and that it does not grow with the data) without timing anything.
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

export class StatementCounter implements KyselyPlugin {
  /** Kinds of the statements built so far, e.g. ['SelectQueryNode', 'UpdateQueryNode']. */
  readonly kinds: string[] = [];

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.kinds.push(args.node.kind);
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }

  /** Forgets what was counted so far. */
  reset(): void {
    this.kinds.length = 0;
  }

  /** How many statements of each kind: { SelectQueryNode: 2 }. */
  tally(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const kind of this.kinds) counts[kind] = (counts[kind] ?? 0) + 1;
    return counts;
  }
}
