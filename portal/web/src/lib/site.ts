// Facts about this installation that the portal server writes into index.html as <meta> tags (no inline script:
// the CSP forbids it), such as where callers reach the gateway.
export function gatewayUrl(): string {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="portico:gateway-url"]');
  return meta?.content || `${window.location.protocol}//${window.location.hostname}:8080`;
}
