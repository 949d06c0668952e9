/** The event the Electron menu (編集 › 元に戻す / やり直し) sends into the page; detail is 'undo' or 'redo'. */
export const COMMAND_EVENT = 'plan-workbench:command';
