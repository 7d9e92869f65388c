// Hugging Face config.json -> a registry entry: being written (issue 4).
