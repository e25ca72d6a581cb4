import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Calls `onChange` after a file is edited (debounced; editors often write twice) or when the process
 * gets SIGHUP. Watches the folder, not the file, so an editor's rename-and-replace is still seen.
 */
export function watchConfigFile(file: string, onChange: () => void, debounceMs = 300): () => void {
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  };
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dirname(file), (_event, name) => {
      if (name === null || name.toString() === basename(file)) fire();
    });
    watcher.on('error', () => undefined);
  } catch {
    // A folder that cannot be watched (some network filesystems): SIGHUP still reloads.
  }
  process.on('SIGHUP', fire);
  return () => {
    clearTimeout(timer);
    watcher?.close();
    process.off('SIGHUP', fire);
  };
}
