import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from '../api/client';
import type { SessionEvent } from '../api/types';

export type SocketState = 'connecting' | 'live' | 'closed';

/**
 * The session's event socket, reconnected with backoff (1 s doubling to 15 s) until the view goes.
 * `onEvent` always sees the latest closure. `onLive` runs on every (re)subscription so the view can
 * reload what it may have missed while disconnected.
 */
export function useSessionEvents(api: Api, sessionId: string, onEvent: (e: SessionEvent) => void, onLive: () => void): SocketState {
  const [state, setState] = useState<SocketState>('connecting');
  const handler = useRef(onEvent);
  const live = useRef(onLive);
  handler.current = onEvent;
  live.current = onLive;

  useEffect(() => {
    let ws: WebSocket | null = null;
    let stopped = false;
    let delay = 1000;
    let timer: number | undefined;
    const connect = () => {
      setState('connecting');
      ws = new WebSocket(api.eventsUrl(sessionId));
      ws.onmessage = (m) => {
        let e: SessionEvent;
        try {
          e = JSON.parse(String(m.data)) as SessionEvent;
        } catch {
          return;
        }
        if (e.type === 'subscribed') {
          delay = 1000;
          setState('live');
          live.current();
        }
        handler.current(e);
      };
      ws.onclose = (ev) => {
        ws = null;
        if (stopped) return;
        setState('closed');
        // 1008/4xx-style refusals (the session is gone) end the retries
        if (ev.code === 1008) return;
        timer = window.setTimeout(connect, delay);
        delay = Math.min(delay * 2, 15_000);
      };
    };
    connect();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      ws?.close(1000, 'view closed');
    };
  }, [api, sessionId]);
  return state;
}
