import { alternate, stats, timeCommand } from '../../bench/timing';

test('stats gives the median of odd and even sample counts, and the range', () => {
  expect(stats([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5, samples: [5, 1, 3] });
  expect(stats([4, 1, 3, 2]).median).toBe(2.5);
  expect(() => stats([])).toThrow('at least one sample');
});

test('alternate interleaves the commands round by round and drops warm-up rounds', () => {
  const order: string[] = [];
  let clock = 0;
  const result = alternate(
    [{ id: 'a', label: 'A', command: 'a' }, { id: 'b', label: 'B', command: 'b' }],
    3,
    1,
    (c) => {
      order.push(c.id);
      return ++clock;
    },
  );
  expect(order).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
  expect(result.get('a')!.samples).toEqual([3, 5, 7]);
  expect(result.get('b')!.samples).toEqual([4, 6, 8]);
});

test('timeCommand reports a failing command with its stderr', () => {
  expect(timeCommand('true')).toBeGreaterThanOrEqual(0);
  expect(() => timeCommand('echo broken >&2; exit 3')).toThrow(/exit 3\): echo broken.*\nbroken/s);
});
