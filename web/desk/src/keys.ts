import { useEffect, useRef } from 'preact/hooks';

/** A page's keys: return true when the key was used (then the browser's own action is prevented). */
export type KeyHandler = (key: string, event: KeyboardEvent) => boolean;

const handlers: { current: KeyHandler }[] = [];

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
}

/**
 * One keydown listener for the whole desk; the most recently mounted handler (the page, or an open
 * dialog) gets single-key shortcuts first. Keys typed into a field, and keys with Ctrl/Alt/Meta, are
 * left alone, so shortcuts never eat text or the browser's own commands.
 */
export function installKeyboard(): void {
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    // A modal dialog (the help) has the keyboard to itself; Esc closes it natively.
    if (document.querySelector('dialog[open]')) return;
    if (typingInto(event.target)) {
      // Escape leaves a field, so the next shortcut works without reaching for the mouse.
      if (event.key === 'Escape' && event.target instanceof HTMLElement) event.target.blur();
      return;
    }
    for (let i = handlers.length - 1; i >= 0; i--) {
      if (handlers[i]?.current(event.key, event)) {
        event.preventDefault();
        return;
      }
    }
  });
}

/** Registers `handler` for as long as the calling component is mounted (always its latest version). */
export function useKeys(handler: KeyHandler): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const entry = { current: (key: string, event: KeyboardEvent) => ref.current(key, event) };
    handlers.push(entry);
    return () => {
      const index = handlers.indexOf(entry);
      if (index >= 0) handlers.splice(index, 1);
    };
  }, []);
}
