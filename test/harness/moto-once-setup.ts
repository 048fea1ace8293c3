import globalSetup from './moto-global-setup';

/**
 * Jest global setup of the mutation runs (stryker.config.mjs): Stryker runs jest many times in one worker process, so
 * the moto server started by the first run serves the later ones (the endpoint stays in the process environment); it
 * stops when the worker exits.
 */
export default async function motoOnceSetup(): Promise<void> {
  if (process.env.MOTO_ENDPOINT) return;
  await globalSetup();
}
