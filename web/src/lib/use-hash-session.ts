import { useEffect, useState } from 'preact/hooks';

const PREFIX = '#/s/';

function read(): string | null {
  const h = window.location.hash;
  return h.startsWith(PREFIX) ? decodeURIComponent(h.slice(PREFIX.length)) : null;
}

/** The open session lives in the URL hash (`#/s/<id>`), so back/forward and reloads keep it. */
export function useHashSession(): [string | null, (id: string | null) => void] {
  const [id, setId] = useState<string | null>(read);
  useEffect(() => {
    const on = () => setId(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const set = (next: string | null) => {
    const hash = next ? `${PREFIX}${encodeURIComponent(next)}` : '#/';
    if (window.location.hash !== hash) window.location.hash = hash;
    setId(next);
  };
  return [id, set];
}
