import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { MethodArgs, MethodResult } from '../../../shared/contract/methods';
import { api } from '../api/transport';
import { errorMessage } from '../errors';

type Page = MethodResult<'export.printHtml'>;
type Request = MethodArgs<'export.printHtml'>;

const MM_PX = 96 / 25.4;
const paperWidthMm = { A4: 297, A3: 420 } as const;
const ZOOMS = [0.5, 0.67, 0.8, 1, 1.25, 1.5];

/**
 * The print preview: the very page that is printed and turned into the PDF, in an iframe (srcdoc:
 * it needs no request and runs no script), drawn as sheets of paper and zoomed to the width of the
 * dialog. 印刷… prints it: through the OS dialog of the app, or the browser's print of the frame.
 * `onPage` hands the dialog what the same answer says of the page (its empty year cells).
 */
export function PrintPreview({ request, onError, onPage }: { request: Request | null; onError(message: string | null): void; onPage?(page: Page | null): void }) {
  const [page, setPage] = useState<Page | null>(null);
  const [loading, setLoading] = useState(false);
  const [zoom, setZoom] = useState<number | 'fit'>('fit');
  const [hostWidth, setHostWidth] = useState(800);
  const [contentHeight, setContentHeight] = useState(600);
  const [printing, setPrinting] = useState(false);
  const hostRef = useRef<HTMLDivElement>(null);
  const frameRef = useRef<HTMLIFrameElement>(null);
  const key = request ? JSON.stringify(request) : '';

  useEffect(() => {
    setPage(null);
    onPage?.(null);
    if (!request) return;
    let current = true;
    setLoading(true);
    api['export.printHtml'](request).then(
      (p) => {
        if (!current) return;
        setPage(p);
        onPage?.(p);
        setLoading(false);
        onError(null);
      },
      (e: unknown) => {
        if (!current) return;
        setLoading(false);
        onError(errorMessage(e));
      },
    );
    return () => {
      current = false;
    };
    // The request is compared by value (its JSON), not by identity.
  }, [key]);

  useLayoutEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const observer = new ResizeObserver(() => setHostWidth(host.clientWidth));
    observer.observe(host);
    setHostWidth(host.clientWidth);
    return () => observer.disconnect();
  }, []);

  const widestMm = page ? Math.max(...page.sheets.map((s) => paperWidthMm[s.paper])) : 297;
  const frameWidth = Math.ceil(widestMm * MM_PX) + 48;
  const scale = zoom === 'fit' ? Math.min(1.5, Math.max(0.2, (hostWidth - 24) / frameWidth)) : zoom;

  const measure = useCallback(() => {
    const doc = frameRef.current?.contentDocument;
    if (!doc?.body) return;
    setContentHeight(doc.documentElement.scrollHeight);
    // The inlined fonts may finish after the load event and change the height.
    void doc.fonts.ready.then(() => setContentHeight(doc.documentElement.scrollHeight));
  }, []);

  const print = async () => {
    if (!request) return;
    setPrinting(true);
    try {
      const r = await api['export.print'](request);
      if (!r.handled) frameRef.current?.contentWindow?.print();
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setPrinting(false);
    }
  };

  return (
    <section className="print-preview" aria-label="印刷プレビュー">
      <div className="preview-toolbar">
        <strong>印刷プレビュー</strong>
        {page && (
          <span className="preview-meta">
            {page.sheets.length}面（{[...new Set(page.sheets.map((s) => `${s.paper}横`))].join('・')}）
          </span>
        )}
        <span className="spacer" />
        <label>
          表示倍率
          <select aria-label="表示倍率" value={zoom} onChange={(e) => setZoom(e.target.value === 'fit' ? 'fit' : Number(e.target.value))}>
            <option value="fit">幅に合わせる</option>
            {ZOOMS.map((z) => (
              <option key={z} value={z}>
                {Math.round(z * 100)}%
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" disabled={!page || printing} onClick={() => void print()}>
          印刷…
        </button>
      </div>
      <div className="preview-host" ref={hostRef}>
        {!request && <p className="preview-empty">様式と年度を選ぶと、ここに印刷される形で表示されます。</p>}
        {request && loading && (
          <p className="preview-empty" role="status">
            プレビューを作成しています…
          </p>
        )}
        {page && (
          <div className="preview-canvas" style={{ width: frameWidth * scale, height: contentHeight * scale }}>
            <iframe
              ref={frameRef}
              title={`印刷プレビュー: ${page.title}`}
              srcDoc={page.html}
              sandbox="allow-same-origin allow-modals"
              onLoad={measure}
              style={{ width: frameWidth, height: contentHeight, transform: `scale(${scale})` }}
            />
          </div>
        )}
      </div>
    </section>
  );
}
