// A cohort's join code, large enough to read from the back of the room, with a copy button.
import { useState } from 'preact/hooks';

export function JoinCode({ code, cohortName }: { code: string; cohortName: string }) {
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
      <span class="join-code-label">Join code for {cohortName}</span>
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
