import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isShellCommand, SHELL_COMMAND_CHANNEL, type PreloadBridge } from '../../shared/contract/shell-commands';

// A sandboxed preload can require nothing but 'electron': shell-commands.ts has no imports but
// types, so the build bundles it in. methods.ts brings zod, so the invoke channel is repeated here
// instead; a test checks it equals IPC_CHANNEL.
const CHANNEL = 'plan-workbench:invoke';

const bridge: PreloadBridge = {
  invoke: (method, args) => ipcRenderer.invoke(CHANNEL, { method, args }),
  onCommand: (listener) => {
    // The page gets the command only: never the IPC event (it would hand the page ipcRenderer's sender).
    const receive = (_event: IpcRendererEvent, command: unknown) => {
      if (isShellCommand(command)) listener(command);
    };
    ipcRenderer.on(SHELL_COMMAND_CHANNEL, receive);
    return () => void ipcRenderer.removeListener(SHELL_COMMAND_CHANNEL, receive);
  },
};

contextBridge.exposeInMainWorld('planWorkbench', bridge);
