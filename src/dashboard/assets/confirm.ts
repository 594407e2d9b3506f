/**
 * Client module `confirm.js`: the in-page confirmation every state-changing button goes
 * through. In the page rather than window.confirm() so it can say exactly what will
 * change, take the optional reason the API keeps in its log, and show the API's refusal
 * (a 409 saying why) where the person is looking.
 */
export const confirmJs = String.raw`
import { describeError } from "./api.js";
import { errorBox, fill, h } from "./dom.js";

/**
 * Opens a confirmation box in slot (replacing whatever was there).
 * options: { question, confirmLabel, withReason, run: async (reason) => void, onDone }.
 * run's rejection is shown in the box; onDone runs after run resolved.
 */
export function confirmAction(slot, options) {
  const reason = options.withReason ? h("input", { type: "text", class: "reason", maxlength: "500", placeholder: "optional, kept in the change log" }) : null;
  const problem = h("div");
  const ok = h("button", { type: "button", class: "confirm-ok" }, options.confirmLabel);
  const cancel = h("button", { type: "button", class: "secondary confirm-cancel" }, "Cancel");
  const box = h(
    "div",
    { class: "confirm", role: "group", "aria-label": options.confirmLabel },
    h("p", { class: "confirm-question" }, options.question),
    reason ? h("label", { class: "reason-label" }, "Reason ", reason) : null,
    h("div", { class: "row" }, ok, cancel),
    problem,
  );
  cancel.addEventListener("click", () => fill(slot));
  ok.addEventListener("click", async () => {
    ok.disabled = true;
    cancel.disabled = true;
    fill(problem);
    try {
      await options.run(reason && reason.value.trim() ? reason.value.trim() : undefined);
    } catch (error) {
      fill(problem, errorBox(describeError(error)));
      ok.disabled = false;
      cancel.disabled = false;
      return;
    }
    fill(slot);
    if (options.onDone) await options.onDone();
  });
  fill(slot, box);
  (reason || ok).focus();
  return box;
}
`;
