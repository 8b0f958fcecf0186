"""The batch build: report tasks, kernels, executors, HTML, index and PDF."""
