import { useEffect, useRef } from 'preact/hooks';

const KEYS: [string, string][] = [
  ['j / k', 'next / previous article (in the inbox and in an article)'],
  ['Enter or o', 'open the selected article (inbox); open the original (article)'],
  ['1 … 9', 'select a label of the article'],
  ['c', 'confirm the selected label'],
  ['r', 'reject the selected label'],
  ['e', "jump to the selected label's next evidence"],
  ['a', 'add a label the classifier missed'],
  ['n', 'write a note for the next verdicts'],
  ['u or Esc', 'back to the inbox'],
  ['/', 'search (inbox)'],
  ['?', 'this help'],
];

/** The keyboard shortcuts, in a modal dialog (Esc closes it, focus returns where it was). */
export function Help({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} class="help" aria-labelledby="help-heading" onClose={onClose}>
      <h2 id="help-heading">Keyboard</h2>
      <p>Verdicts are saved as you press the keys. Keys do nothing while you type in a field; Esc leaves the field.</p>
      <table>
        <tbody>
          {KEYS.map(([key, what]) => (
            <tr key={key}>
              <th scope="row">
                <kbd>{key}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit" autoFocus>
          Close
        </button>
      </form>
    </dialog>
  );
}
