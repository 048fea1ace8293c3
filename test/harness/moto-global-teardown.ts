import { MotoServer, stopMotoServer } from '../../cli/moto-server';

/** Jest global teardown: always stops the moto server started by the global setup. */
export default async function globalTeardown(): Promise<void> {
  const server: MotoServer | undefined = (globalThis as any).__MOTO_SERVER__;
  if (server) await stopMotoServer(server);
}
