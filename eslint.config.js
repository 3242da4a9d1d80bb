import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

export default tseslint.config(
  { ignores: ["ui/dist", "ui/src/api/bindings.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["ui/src/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      // Only the backend module may talk to Tauri (one place to mock).
      "no-restricted-imports": ["error", { patterns: [{ group: ["@tauri-apps/*"], message: "Use ui/src/api/backend.ts" }] }],
    },
  },
  {
    // The backend module, and its own tests, which stand in for Tauri.
    files: ["ui/src/api/backend.ts", "ui/src/api/__tests__/*.ts"],
    rules: { "no-restricted-imports": "off" },
  },
);
