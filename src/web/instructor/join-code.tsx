// A cohort's join code, large enough to read from the back of the room, with a copy button.
import { useState } from 'preact/hooks';

/** `named` says which cohort in the label, where the code stands apart from the cohort's name. */
export function JoinCode({ code, cohortName, named = true }: { code: string; cohortName: string; named?: boolean }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setCopied('yes');
    } catch {
      // No clipboard (plain http on a LAN, or refused): the code stays selectable.
      setCopied('no');
    }
  };
  return (
    <div class="join-code">
      <span class="join-code-label">{named ? `Join code for ${cohortName}` : 'Join code'}</span>
      <strong class="join-code-value mono">{code}</strong>
      <button type="button" class="secondary" onClick={() => void copy()} aria-label={`Copy join code ${code}`}>
        Copy
      </button>
      <span role="status" class="small muted">
        {copied === 'yes' ? 'Copied.' : copied === 'no' ? 'Select the code to copy it.' : ''}
      </span>
    </div>
  );
}
