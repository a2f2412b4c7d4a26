import { useState } from 'preact/hooks';
import { downloadBlob } from '../lib/download';
import { highlight } from '../lib/highlight';

const MAX_HIGHLIGHT = 512 * 1024;

/** Code with syntax highlighting (bundled highlight.js subset), copy and download. */
export function CodeView({ code, lang, filename }: { code: string; lang: string; filename: string }) {
  const [copied, setCopied] = useState<string | null>(null);
  const html = code.length <= MAX_HIGHLIGHT ? highlight(code, lang) : null;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setCopied('Copied.');
    } catch {
      setCopied('Copy is not allowed here; select the text instead.');
    }
  };
  const mime = lang === 'python' ? 'text/x-python' : lang === 'sql' ? 'application/sql' : lang === 'json' ? 'application/json' : 'text/plain';
  return (
    <div class="code-view">
      <div class="toolbar">
        <span class="badge">{lang}</span>
        <span class="spacer" />
        <span class="muted small" role="status">
          {copied}
        </span>
        <button type="button" onClick={copy}>
          Copy
        </button>
        <button type="button" onClick={() => downloadBlob(new Blob([code], { type: mime }), filename)}>
          Download {filename}
        </button>
      </div>
      <pre class="code" tabIndex={0} aria-label={`${filename} source`}>
        {html !== null ? <code class={`hljs language-${lang}`} dangerouslySetInnerHTML={{ __html: html }} /> : <code>{code}</code>}
      </pre>
    </div>
  );
}
