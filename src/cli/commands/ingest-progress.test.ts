import { describe, expect, it } from 'vitest';
import type { IngestProgress } from '../../ingest/pipeline/ingest-tracker.js';
import type { CliIo } from '../main.js';
import { ProgressRenderer } from './ingest-progress.js';

const MB = 1024 * 1024;

function progress(fields: Partial<IngestProgress>): IngestProgress {
  return {
    phase: 'indexing',
    done: 0,
    total: 300,
    unit: 'files',
    bytesDone: 0,
    bytesTotal: 10 * MB,
    indexed: 0,
    unchanged: 0,
    skipped: 0,
    failed: 0,
    deleted: 0,
    elapsedMs: 0,
    ...fields,
  };
}

/** A terminal 80 columns wide (or none), its writes and stderr's lines kept, and a clock the test moves. */
function harness(options: { terminal: boolean; columns?: number }) {
  const writes: string[] = [];
  const errors: string[] = [];
  let now = 1_000_000;
  const io: CliIo = {
    out: () => {},
    err: (line) => errors.push(line),
    readStdin: async () => '',
    env: {},
    ...(options.terminal
      ? {
          terminal: { write: (text: string) => void writes.push(text), columns: () => options.columns ?? 80 },
        }
      : {}),
  };
  const renderer = new ProgressRenderer(io, 5_000, () => now);
  return {
    renderer,
    writes,
    errors,
    advance: (ms: number) => (now += ms),
    /** What the terminal shows now: the last line drawn, without the carriage return and erase. */
    shown: () => (writes.at(-1) ?? '').replace('\r\x1b[2K', ''),
  };
}

describe('the ingest progress bar on a terminal', () => {
  it('says what it does before a rate is known, then shows files, bytes, rate and ETA', () => {
    const t = harness({ terminal: true, columns: 120 });
    t.renderer.update(progress({ phase: 'discovering', total: 0, bytesTotal: 0 }));
    expect(t.shown()).toBe('discovering files…');

    t.renderer.update(progress({}));
    expect(t.shown()).toBe(
      '[░░░░░░░░░░░░░░░░░░░░] 0% 0/300 files · 10.0 MB · reading and analysing the first files…',
    );

    // The first files done after 2 s of start-up: the rate counts from them, not from the start.
    t.advance(2_000);
    t.renderer.update(progress({ done: 10, bytesDone: MB, indexed: 10 }));
    expect(t.shown()).toMatch(/ 10\/300 files · 1\.0 MB\/10\.0 MB · measuring the rate…$/);
    t.advance(2_000);
    t.renderer.update(progress({ done: 150, bytesDone: 5 * MB, indexed: 149, failed: 1 }));
    // 4 MB in 2 s: 2 MB/s, and the other 5 MB in 2.5 s.
    expect(t.shown()).toBe(
      '[██████████░░░░░░░░░░] 50% 150/300 files · 5.0 MB/10.0 MB · 2.0 MB/s · ETA 3s · 1 failed',
    );

    t.advance(3_000);
    t.renderer.update(progress({ phase: 'building', done: 300, bytesDone: 10 * MB }));
    expect(t.shown()).toBe('building the search index over the new documents…');
    t.renderer.clear();
    expect(t.writes.at(-1)).toBe('\r\x1b[2K');
  });

  it('shows the whole run’s rate once every byte is read, as after one large file (no window of its own)', () => {
    const t = harness({ terminal: true, columns: 120 });
    t.renderer.update(progress({ total: 1, bytesTotal: 33 * MB }));
    t.advance(13_200);
    t.renderer.update(progress({ total: 1, done: 1, bytesDone: 33 * MB, bytesTotal: 33 * MB, indexed: 1 }));
    expect(t.shown()).toBe('[████████████████████] 100% 1/1 files · 33.0 MB/33.0 MB · 2.5 MB/s');
  });

  it('counts a database’s rows, whose bytes are unknown ahead: share, rate and ETA by rows', () => {
    const t = harness({ terminal: true, columns: 120 });
    const rows = (fields: Partial<IngestProgress>) =>
      progress({ unit: 'rows', total: 100_000, bytesTotal: 0, ...fields });
    t.renderer.update(rows({}));
    expect(t.shown()).toBe('[░░░░░░░░░░░░░░░░░░░░] 0% 0/100000 rows · reading and analysing the first rows…');
    t.advance(1_000);
    t.renderer.update(rows({ done: 1_000, bytesDone: 100_000, indexed: 1_000 }));
    t.advance(2_000);
    t.renderer.update(rows({ done: 5_000, bytesDone: 500_000, indexed: 5_000 }));
    // 4,000 rows in 2 s, and 95,000 to go.
    expect(t.shown()).toBe('[█░░░░░░░░░░░░░░░░░░░] 5% 5000/100000 rows · 488.3 kB · 2,000 rows/s · ETA 48s');
  });

  it('redraws at most every 100 ms unless the phase changes, and fits the line to the terminal', () => {
    const t = harness({ terminal: true, columns: 40 });
    t.renderer.update(progress({}));
    const drawn = t.writes.length;
    t.advance(50);
    t.renderer.update(progress({ done: 1, bytesDone: MB }));
    expect(t.writes).toHaveLength(drawn);
    t.advance(60);
    t.renderer.update(progress({ done: 2, bytesDone: 2 * MB }));
    expect(t.writes).toHaveLength(drawn + 1);
    expect(t.shown()).toHaveLength(39);
    expect(t.shown().endsWith('…')).toBe(true);
  });
});

describe('the ingest progress without a terminal', () => {
  it('writes a line when indexing starts and then one every few seconds, not a bar per file', () => {
    const t = harness({ terminal: false });
    t.renderer.update(progress({ phase: 'discovering' }));
    t.renderer.update(progress({}));
    expect(t.errors).toEqual(['kura: 300 files (10.0 MB) to check']);
    for (let i = 1; i <= 40; i++) {
      t.advance(250);
      t.renderer.update(progress({ done: i, bytesDone: i * 100 * 1024 }));
    }
    // 10 s of updates, one line each 5 s.
    expect(t.errors).toHaveLength(3);
    expect(t.errors[2]).toMatch(/^kura: \[.*\] 39% 40\/300 files · 3\.9 MB\/10\.0 MB · .*\/s · ETA \d+s$/);
  });
});
