import { toSvg } from '../../labs/diagram';
test('svg', async () => {
  const svg = await toSvg('flowchart LR\n  a --> b\n');
  expect(svg).toContain('<svg');
});
