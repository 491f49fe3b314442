"""Text analysis shared by documents and questions: the tokenizer, its thesaurus, verbatim matching."""
