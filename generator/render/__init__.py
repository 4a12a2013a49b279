"""Plan and render pages; figures; write Markdown."""
