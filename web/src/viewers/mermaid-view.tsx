import { useEffect, useRef, useState } from 'preact/hooks';
import { CodeView } from './code-view';

let seq = 0;

/** A Mermaid diagram rendered in the page (mermaid is bundled and loaded on first use), with its source below. */
export function MermaidView({ source, filename }: { source: string; filename: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [rendered, setRendered] = useState(false);

  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const { default: mermaid } = await import('mermaid');
        mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default', maxTextSize: 2_000_000, flowchart: { htmlLabels: false } });
        const { svg } = await mermaid.render(`mermaid-${++seq}`, source);
        if (!live || !host.current) return;
        host.current.innerHTML = svg;
        const el = host.current.querySelector('svg');
        el?.setAttribute('role', 'img');
        el?.setAttribute('aria-label', 'Dependency diagram');
        setRendered(true);
      } catch (err) {
        if (live) setError((err as Error).message);
      }
    })();
    return () => {
      live = false;
    };
  }, [source]);

  return (
    <div class="mermaid-view">
      {error && <p class="error">The diagram could not be rendered: {error}</p>}
      {!rendered && !error && (
        <p class="muted" role="status">
          Rendering the diagram…
        </p>
      )}
      <div class="diagram" ref={host} data-rendered={rendered ? 'true' : 'false'} tabIndex={0} />
      <details>
        <summary>Mermaid source</summary>
        <CodeView code={source} lang="plaintext" filename={filename} />
      </details>
    </div>
  );
}
