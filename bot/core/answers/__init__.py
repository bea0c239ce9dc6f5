"""One module per answer kind; bot.core.answer routes a Question to one of them."""
