// Small form parts: every control has a label, every error is a sentence
// in a live region.
import type { ComponentChildren } from "preact";

let next = 0;
/** A stable id for a label's `for`. */
export function fieldId(name: string): string {
  next += 1;
  return `f-${name}-${next}`;
}

export function Field(props: {
  id: string;
  label: string;
  type?: string;
  value: string;
  onInput: (v: string) => void;
  autoComplete?: string;
  required?: boolean;
  minLength?: number;
  hint?: string;
  inputMode?: "numeric" | "text" | "email";
}) {
  const hint = props.hint ? `${props.id}-hint` : undefined;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? "text"}
        value={props.value}
        autoComplete={props.autoComplete}
        required={props.required}
        minLength={props.minLength}
        inputMode={props.inputMode}
        aria-describedby={hint}
        onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
      />
      {props.hint && (
        <p class="hint" id={hint}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

/** The last error, as a sentence; announced when it changes. */
export function Problem({ message }: { message: string | null }) {
  return (
    <p class="problem" role="alert" aria-live="assertive">
      {message ?? ""}
    </p>
  );
}

/** A success or progress note, announced politely. */
export function Note({ children }: { children?: ComponentChildren }) {
  return (
    <p class="note" role="status" aria-live="polite">
      {children}
    </p>
  );
}
