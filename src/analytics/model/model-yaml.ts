import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Node } from 'yaml';
import { InvalidRequestError } from '../../platform/errors/errors.js';
import { semanticModelSchema, type SemanticModel } from './semantic-model.js';

let loaded: typeof Yaml | undefined;
/** yaml loads with the first model read or written, not with every command. */
const yaml = () => (loaded ??= createRequire(import.meta.url)('yaml') as typeof Yaml);

/** A model that failed to parse or validate: each problem with its line (1-based) where known. */
export class ModelValidationError extends InvalidRequestError {
  constructor(readonly problems: { line: number | null; path: string; message: string }[]) {
    super(
      `The semantic model is invalid: ${problems
        .map((p) => `${p.line ? `line ${p.line}: ` : ''}${p.path ? `${p.path}: ` : ''}${p.message}`)
        .join('; ')}`,
      'invalid_model',
    );
  }
}

/** The YAML node at a zod issue path, so a problem can name its line. */
function nodeAt(root: Node | null, path: PropertyKey[]): Node | null {
  let node: Node | null = root;
  let last = node;
  for (const key of path) {
    if (yaml().isMap(node)) node = (node.get(key as string, true) as Node | undefined) ?? null;
    else if (yaml().isSeq(node)) node = (node.get(Number(key), true) as Node | undefined) ?? null;
    else node = null;
    if (!node) return last;
    last = node;
  }
  return node;
}

type Issue = { code: string; path: PropertyKey[]; message: string; errors?: Issue[][] };

/** A union (aggregate or ratio measure) reports its closest branch's problems, at their own paths. */
function closestBranch(issue: Issue): Issue[] {
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return [issue];
  const best = [...issue.errors].sort((a, b) => a.length - b.length)[0]!;
  return best.map((i) => ({ ...i, path: [...issue.path, ...i.path] })).flatMap(closestBranch);
}

/** Parses and validates a model written as YAML; every problem comes with its line number. */
export function parseModelYaml(text: string): SemanticModel {
  const lines = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new ModelValidationError(
      doc.errors.map((e) => ({
        line: lines.linePos(e.pos[0]).line,
        path: '',
        message: e.message.split('\n')[0]!,
      })),
    );
  const result = semanticModelSchema.safeParse(doc.toJS());
  if (result.success) return result.data;
  throw new ModelValidationError(
    result.error.issues.flatMap(closestBranch).map((issue) => {
      const node = nodeAt(doc.contents as Node | null, issue.path);
      const offset = node?.range?.[0];
      return {
        line: offset !== undefined ? lines.linePos(offset).line : null,
        path: issue.path.join('.'),
        message: issue.message,
      };
    }),
  );
}

export function modelToYaml(model: SemanticModel): string {
  return yaml().stringify(model, { lineWidth: 0 });
}
