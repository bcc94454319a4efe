import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients; training needs all of them.
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';

/**
 * Chooses the TensorFlow.js backend, once per process, along one code path: native
 * `@tensorflow/tfjs-node` when it is installed and loads (an optional dependency whose native
 * library download often fails), else the WebAssembly backend (its .wasm ships in the npm
 * package), else the pure-JavaScript cpu backend. The answer is always reported to the caller.
 */

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** Why earlier choices were passed over, for the log and the UI. */
  fallbacks: string[];
  /** Version of tfjs-core in use. */
  version: string;
  /**
   * Threads of the compute process that share JavaScript work (1, or 2 with the helper thread),
   * and why the helper is missing if it is; set by the compute process, not here.
   */
  threads?: number;
  helperProblem?: string | null;
}

let chosen: Promise<BackendInfo> | null = null;
// Not named `require`: the bundler declares its own in ES module output.
const requireOptional = createRequire(import.meta.url);

/** Initialises (once) and reports the backend. `prefer` forces one, for tests and benchmarks. */
export function initBackend(prefer?: BackendName): Promise<BackendInfo> {
  chosen ??= choose(prefer ?? (process.env.LATENT_FORMULATOR_BACKEND as BackendName | undefined));
  return chosen;
}

async function choose(prefer: BackendName | undefined): Promise<BackendInfo> {
  const fallbacks: string[] = [];
  const order: BackendName[] = prefer ? [prefer, ...(['tensorflow', 'wasm', 'cpu'] as const).filter((b) => b !== prefer)] : ['tensorflow', 'wasm', 'cpu'];
  for (const name of order) {
    try {
      if (name === 'tensorflow') {
        // Registers the 'tensorflow' backend as a side effect; throws when the native library is missing.
        requireOptional('@tensorflow/tfjs-node');
      } else if (name === 'wasm') {
        // In Node (and Electron's utility process) the backend reads its .wasm from beside its own
        // module with fs; electron-builder unpacks those files from the asar (electron-builder.yml).
        requireOptional('@tensorflow/tfjs-backend-wasm');
      } else {
        requireOptional('@tensorflow/tfjs-backend-cpu');
      }
      if (await tf.setBackend(name)) {
        await tf.ready();
        return { name, fallbacks, version: tf.version_core };
      }
      fallbacks.push(`${name}: setBackend returned false`);
    } catch (error) {
      fallbacks.push(`${name}: ${firstLine(error)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start: ${fallbacks.join('; ')}`);
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0]!.slice(0, 200);
}
