import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { LOOPBACK_PORT_RANGE, freeLoopbackPort, isFreeLoopbackPort } from '../../cli/moto-server';

/** The kernel's ephemeral port range (the source ports of outgoing connections), as Linux states it. */
function ephemeralRange(): [number, number] {
  const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  return [low, high];
}

describe('the ports local mode and the tests bind', () => {
  test('are drawn below the kernel\'s ephemeral range, so no outgoing connection takes one before it is bound', async () => {
    const [lowestEphemeral] = ephemeralRange();
    const ports = await Promise.all(Array.from({ length: 200 }, () => freeLoopbackPort()));
    expect(LOOPBACK_PORT_RANGE.highest).toBeLessThan(lowestEphemeral);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(1024);
      expect(port).toBeLessThan(lowestEphemeral);
    }
    // Drawn, not counted up from one start: 200 draws from 12,768 ports repeat a few times at most.
    expect(new Set(ports).size).toBeGreaterThan(190);
  });

  test('a run of ports for several APIs is free and stays inside the range', async () => {
    const { lowest, highest } = LOOPBACK_PORT_RANGE;
    for (let draw = 0; draw < 200; draw++) {
      const first = await freeLoopbackPort(3);
      expect(first).toBeGreaterThanOrEqual(lowest);
      expect(first + 2).toBeLessThanOrEqual(highest);
      expect(await Promise.all([first, first + 1, first + 2].map(isFreeLoopbackPort))).toEqual([true, true, true]);
    }
  });

  test('a port something listens on is not free; once it closes, it is', async () => {
    const server = createServer();
    const port = await freeLoopbackPort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    expect(await isFreeLoopbackPort(port)).toBe(false);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await isFreeLoopbackPort(port)).toBe(true);
  });
});
