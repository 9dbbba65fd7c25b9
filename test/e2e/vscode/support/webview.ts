import type { ConsoleMessage, Frame, FrameLocator, Page } from 'playwright-core';

/** The page of a webview panel: VS Code nests it in an iframe (`iframe.webview`) holding `#active-frame`. */
export function webviewContent(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** A console message of a webview frame (an error, a warning, or Chromium's report of a blocked resource). */
export interface WebviewMessage {
  readonly type: string;
  readonly text: string;
  readonly url: string;
}

/** VS Code serves webview pages from its `webview/browser/pre/` folder; their frames' console is theirs. */
const WEBVIEW_FRAME = /\/webview\/browser\/pre\//;
/** VS Code's own host page warns about the sandbox it gives every webview's inner frame: not the page's doing. */
const HOST_NOTICE = /^An iframe which has both allow-scripts and allow-same-origin for its sandbox attribute can escape its sandboxing\.$/;

/**
 * Collects what the webview frames log that a clean page never logs: errors, warnings and
 * Content-Security-Policy violations. Chromium reports a violation on the console of the frame
 * whose policy was violated ("Refused to load … because it violates the following Content
 * Security Policy directive"); each frame also gets a `securitypolicyviolation` listener that
 * logs the violated directive, so a violation is caught however Chromium words it.
 */
export function watchWebviews(page: Page): { readonly messages: WebviewMessage[]; readonly violations: () => WebviewMessage[] } {
  const messages: WebviewMessage[] = [];
  const fromWebview = (message: ConsoleMessage) => WEBVIEW_FRAME.test(message.location().url);
  page.on('console', (message) => {
    const text = message.text();
    const csp = /Content Security Policy|Refused to (load|execute|apply|connect|frame)|sbd-csp-violation/.test(text);
    if ((fromWebview(message) && (message.type() === 'error' || message.type() === 'warning') && !HOST_NOTICE.test(text)) || csp) messages.push({ type: message.type(), text, url: message.location().url });
  });
  const listen = (frame: Frame) => {
    if (!WEBVIEW_FRAME.test(frame.url())) return;
    void frame
      .evaluate("document.addEventListener('securitypolicyviolation', (event) => console.error('sbd-csp-violation ' + event.violatedDirective + ' ' + event.blockedURI))")
      .catch(() => undefined);
  };
  page.on('framenavigated', listen);
  page.on('frameattached', listen);
  return { messages, violations: () => messages.filter((message) => /Content Security Policy|Refused to|sbd-csp-violation/.test(message.text)) };
}
