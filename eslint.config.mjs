// Lint and format (run by `npm test`; `npm run lint:fix` rewrites). Formatting is the Effect
// repository's: dprint through @effect/eslint-plugin, with a wider line for our tables of fields.
import effect from "@effect/eslint-plugin"
import js from "@eslint/js"
import tseslint from "typescript-eslint"

export default tseslint.config(
  { ignores: ["node_modules/**", "dist/**", "coverage/**", "kravsync-demo/**", "test/host/fixture/out/**", "**/*.json"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.mjs"],
    plugins: { "@effect": effect },
    rules: {
      "@effect/dprint": [
        "error",
        {
          config: {
            indentWidth: 2,
            lineWidth: 160,
            semiColons: "asi",
            quoteStyle: "alwaysDouble",
            trailingCommas: "never",
            operatorPosition: "maintain",
            "arrowFunction.useParentheses": "force"
          }
        }
      ],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off"
    }
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } }
  },
  {
    // The product never imports a connector, the sandbox, tests or benches (docs/library.md).
    files: ["src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/connectors/**", "**/connectors"],
              message: "src/ never imports a connector: define a port in src/ and wire the connector in bin/main.ts"
            },
            { group: ["**/sandbox/**", "**/sandbox"], message: "src/ never imports the sandbox: it is reached through the SandboxEnvironment port" },
            { group: ["**/test/**", "**/bench/**"], message: "src/ never imports tests or benches" }
          ]
        }
      ],
      "no-console": "error"
    }
  }
)
