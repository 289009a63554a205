// A "Drucken" button (data-print) that the page shows only when this script runs; without
// JavaScript the page says to use the browser's print menu.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
