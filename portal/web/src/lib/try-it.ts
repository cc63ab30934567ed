// The sessionStorage entry through which a test key created here reaches the docs' "Try it" in the same tab
// (read by portal/server/src/docs/assets/try-it.js): { key, memberId }.
export const TRY_IT_KEY = 'portico.tryItKey';
