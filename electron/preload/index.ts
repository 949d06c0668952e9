import { contextBridge, ipcRenderer } from 'electron';

// A sandboxed preload cannot require npm packages; keep it to one function. The channel name is
// repeated here (not imported) for that reason; a test checks it equals IPC_CHANNEL.
const CHANNEL = 'plan-workbench:invoke';

contextBridge.exposeInMainWorld('planWorkbench', {
  invoke: (method: string, args: unknown) => ipcRenderer.invoke(CHANNEL, { method, args }),
});
