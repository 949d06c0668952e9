/** Whether a key or clipboard event belongs to a text field (an editor, the find bar, a select) rather than the grid or the frame. */
export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'TEXTAREA' || tag === 'SELECT' || (tag === 'INPUT' && !['button', 'checkbox', 'radio'].includes((target as HTMLInputElement).type)) || target.isContentEditable;
}
