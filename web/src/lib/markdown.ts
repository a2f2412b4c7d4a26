import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { highlight } from './highlight';

const marked = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    code({ text, lang }) {
      return `<pre class="code"><code class="hljs">${highlight(text, lang ?? '')}</code></pre>`;
    },
  },
});

/** Markdown → sanitised HTML (DOMPurify: no scripts, no event handlers, no javascript: links). */
export function renderMarkdown(src: string): string {
  const html = marked.parse(src, { async: false });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}

/** Artifact ids in a reply become links that open the artifact (`#artifact:<id>`). */
export function linkArtifactIds(html: string): string {
  return html.replace(/\b(art_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b(?![^<]*>)/g, '<a href="#" data-artifact="$1">$1</a>');
}
