import {
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  type ValueNode,
} from 'kysely';

/**
 * A yes/no is stored as 0 or 1 on both engines (the field rules' `bool`: an integer column checked
 * to hold 0 or 1), so a file copied between engines holds the same values and dumps the same. This
 * plugin turns a JavaScript boolean handed to a PostgreSQL query into that number (PostgreSQL would
 * refuse true for an integer column). SQLite's connection does the same to the parameters it binds
 * (sqlite-engine.ts), which costs less than a plugin walking every query.
 */
class BooleanToNumber extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    const value: unknown = node.value;
    return typeof value === 'boolean' ? { ...node, value: value ? 1 : 0 } : super.transformValue(node);
  }

  /** The values of an insert's row and of an `in (…)` list. */
  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return node.values.some((v) => typeof v === 'boolean') ? { ...node, values: node.values.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)) } : node;
  }
}

export class NumericBooleans implements KyselyPlugin {
  private readonly transformer = new BooleanToNumber();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.transformer.transformNode(args.node);
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}
