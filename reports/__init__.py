"""The committee report: frozen data, rendering to HTML and PDF/A, exports and delivery timing."""
