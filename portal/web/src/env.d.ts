// Stylesheets imported for their side effect: Vite bundles them into one CSS file linked from index.html.
declare module '*.css';
