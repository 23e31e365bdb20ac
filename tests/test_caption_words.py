"""Caption words for the ranker's features, read without scikit-learn: the same matrix CountVectorizer gives."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from discovery.ranker_features import caption_words

CAPTIONS = np.array(["Golden hour #sunset by the sea", "sea and #sunset, SEA again", "", "a b c",
                     "coffee at dawn #coffee", "dawn coffee by the sea", "the sea the sea #Sunset",
                     "Ümlaut café café by the sea", "café at dawn", "café #sunset dawn"], dtype=object)


def counted(min_df: int, max_features: int | None):
    vectorizer = CountVectorizer(binary=True, min_df=min_df, max_features=max_features, dtype=np.float32,
                                 token_pattern=r"(?u)#?\b\w\w+\b")
    return vectorizer.fit_transform(CAPTIONS).tocsr(), vectorizer.get_feature_names_out()


def test_caption_words_are_the_count_vectorizers_binary_matrix():
    for min_df, max_features in ((1, 1000), (2, 1000), (3, 1000), (2, 3)):
        theirs, _ = counted(min_df, max_features)
        mine = caption_words(CAPTIONS, min_df=min_df, max_features=max_features)
        assert mine.shape == theirs.shape and mine.dtype == np.float32
        assert (mine != theirs).nnz == 0, (min_df, max_features)


def test_no_word_common_enough_gives_no_columns():
    words = caption_words(np.array(["one", "two words", ""], dtype=object))
    assert words.shape == (3, 0)
