import { t } from './i18n';
import './strings/apply';

/**
 * A copy button: puts `text` on the clipboard and says so on the button for two seconds. Where the clipboard
 * is refused (plain HTTP, an older browser) `fallback` lets the person copy it by hand instead.
 */
export async function copyWithButton(button: HTMLElement, text: string, fallback: () => void): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    fallback();
    return;
  }
  const label = button.textContent;
  button.textContent = t('apply.copied');
  setTimeout(() => (button.textContent = label), 2000);
}
