import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes that arrive close together go in one batch; each caller still gets its own result. */
describe('group commit', () => {
  function recorder(lingerMs: number) {
    const batches: string[][] = [];
    const commit = new GroupCommit<string>({
      writeBatch: async (_key, items) => {
        batches.push(items);
        await sleep(5);
        return items.map((item) => item.toUpperCase());
      },
      maxItems: 10,
      maxWeight: 100,
      weight: () => 1,
      lingerMs,
    });
    return { batches, commit };
  }

  it('with a linger, writes arriving a few milliseconds apart share the first one’s batch', async () => {
    const { batches, commit } = recorder(50);
    const results = [commit.write('t', 'a')];
    await sleep(2);
    results.push(commit.write('t', 'b'));
    await sleep(2);
    results.push(commit.write('t', 'c'));
    expect(await Promise.all(results)).toEqual(['A', 'B', 'C']);
    expect(batches).toEqual([['a', 'b', 'c']]);
  });

  it('without one, the first write goes alone and the others join the next batch', async () => {
    const { batches, commit } = recorder(0);
    const results = [commit.write('t', 'a')];
    await sleep(1);
    results.push(commit.write('t', 'b'), commit.write('t', 'c'));
    expect(await Promise.all(results)).toEqual(['A', 'B', 'C']);
    expect(batches).toEqual([['a'], ['b', 'c']]);
  });
});
