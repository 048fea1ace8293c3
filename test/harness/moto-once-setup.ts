import globalSetup from './moto-global-setup';

/** Whether a moto server answers on `endpoint`. */
async function answers(endpoint: string): Promise<boolean> {
  try {
    return (await fetch(`${endpoint}/moto-api/data.json`)).ok;
  } catch {
    return false;
  }
}

/**
 * Jest global setup of the mutation runs (stryker.config.mjs): Stryker runs jest many times in one worker process, so
 * the moto server started by the first run serves the later ones (the endpoint stays in the process environment); it
 * stops when the worker exits. An endpoint that no longer answers (its server was stopped) is replaced.
 */
export default async function motoOnceSetup(): Promise<void> {
  if (process.env.MOTO_ENDPOINT && await answers(process.env.MOTO_ENDPOINT)) return;
  await globalSetup();
}
