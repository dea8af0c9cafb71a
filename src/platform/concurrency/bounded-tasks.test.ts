import { describe, expect, it } from 'vitest';
import { BoundedTasks } from './bounded-tasks.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('BoundedTasks', () => {
  it('never runs more than the limit at once, and runs every task', async () => {
    const tasks = new BoundedTasks(3);
    let running = 0;
    let most = 0;
    const done: number[] = [];
    for (let i = 0; i < 20; i++) {
      await tasks.add(async () => {
        most = Math.max(most, ++running);
        await tick();
        running--;
        done.push(i);
      });
    }
    await tasks.drain();
    expect(most).toBe(3);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('after a failure takes no new task, and drain throws it once the started ones have finished', async () => {
    const tasks = new BoundedTasks(2);
    let finished = 0;
    await tasks.add(async () => {
      await tick();
      throw new Error('row 2 cannot be stored');
    });
    await tasks.add(async () => {
      await tick();
      await tick();
      finished++;
    });
    await expect(tasks.add(async () => void finished++)).rejects.toThrow('row 2 cannot be stored');
    await expect(tasks.drain()).rejects.toThrow('row 2 cannot be stored');
    expect(finished).toBe(1);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new BoundedTasks(0)).toThrow(RangeError);
    expect(() => new BoundedTasks(1.5)).toThrow(RangeError);
  });
});
