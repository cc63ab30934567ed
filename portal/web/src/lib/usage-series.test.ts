// usage-series: every bucket of the range appears once, rows land in their bucket, statuses split by class.
import { bucketStarts, latencySeries, segments, statusSeries } from './usage-series';

describe('usage series', () => {
  const from = Date.parse('2026-11-24T22:30:00Z');
  const to = Date.parse('2026-11-25T01:10:00Z');

  test('hour buckets cover the range, zeros included', () => {
    expect(bucketStarts('hour', from, to)).toEqual([
      '2026-11-24T22:00:00.000Z',
      '2026-11-24T23:00:00.000Z',
      '2026-11-25T00:00:00.000Z',
      '2026-11-25T01:00:00.000Z',
    ]);
    expect(bucketStarts('day', from, to)).toEqual(['2026-11-24T00:00:00.000Z', '2026-11-25T00:00:00.000Z']);
  });

  test('statuses split into successes, 4xx and 5xx; rows outside the range are ignored', () => {
    const starts = bucketStarts('hour', from, to);
    const series = statusSeries(
      [
        { hour: '2026-11-24T23:00:00Z', status: 200, requests: 5 },
        { hour: '2026-11-24T23:00:00Z', status: 304, requests: 1 },
        { hour: '2026-11-24T23:00:00Z', status: 429, requests: 2 },
        { hour: '2026-11-25T01:00:00Z', status: 502, requests: 3 },
        { hour: '2026-11-20T01:00:00Z', status: 200, requests: 100 },
      ],
      'hour',
      starts,
    );
    expect(series).toEqual({ ok: [0, 6, 0, 0], client: [0, 2, 0, 0], server: [0, 0, 0, 3] });
  });

  test('day rows are matched by date; latency takes each bucket’s percentiles', () => {
    const starts = bucketStarts('day', from, to);
    expect(
      latencySeries([{ date: '2026-11-25', requests: 4, p50LatencyMs: 12, p95LatencyMs: 80 }], 'day', starts),
    ).toEqual({ p50: [null, 12], p95: [null, 80] });
  });
});

describe('chart segments', () => {
  test('a gap splits a line; single points stand alone', () => {
    expect(segments([1, 2, null, 3, null, null, 4, 5])).toEqual([[0, 1], [3], [6, 7]]);
    expect(segments([null, null])).toEqual([]);
  });
});
