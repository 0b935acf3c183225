// The desktop's own surfaces beside the commands (lib/ipc): file dialogs, files dropped on the
// window, notifications. Tests replace it with vi.mock('…/lib/desktop').
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { open } from '@tauri-apps/plugin-dialog';
import { isPermissionGranted, requestPermission, sendNotification } from '@tauri-apps/plugin-notification';

/** Asks for ODPS and ODCS files to import; null when the user cancels. */
export async function chooseDocuments(): Promise<string[] | null> {
  const chosen = await open({
    title: 'Import ODPS products and ODCS contracts',
    multiple: true,
    directory: false,
    filters: [{ name: 'ODPS and ODCS documents', extensions: ['yaml', 'yml', 'json'] }],
  });
  if (chosen === null) return null;
  return Array.isArray(chosen) ? chosen : [chosen];
}

/** Asks for the folder to export into; null when the user cancels. */
export async function chooseFolder(title: string): Promise<string | null> {
  const chosen = await open({ title, directory: true, multiple: false });
  return typeof chosen === 'string' ? chosen : null;
}

/** Calls `onDrop` with the paths of files dropped on the window; answers how to stop listening. */
export async function onFilesDropped(onDrop: (paths: string[]) => void): Promise<() => void> {
  return getCurrentWebview().onDragDropEvent((event) => {
    if (event.payload.type === 'drop' && event.payload.paths.length > 0) onDrop(event.payload.paths);
  });
}

/** A desktop notification; never fails (outside the shell, or refused, it is dropped). */
export async function notify(title: string, body: string): Promise<void> {
  try {
    let granted = await isPermissionGranted();
    if (!granted) granted = (await requestPermission()) === 'granted';
    if (granted) sendNotification({ title, body });
  } catch {
    // No notification service (a headless session): the window says it anyway.
  }
}
