import { describe, expect, it } from 'vitest'

import { descriptionParagraphs } from './description'

describe('descriptionParagraphs', () => {
  it('splits paragraphs on blank lines only', () => {
    expect(descriptionParagraphs('one\ntwo')).toEqual(['one\ntwo'])
    expect(descriptionParagraphs('one\n\ntwo\n\t\nthree')).toEqual(['one', 'two', 'three'])
    expect(descriptionParagraphs('')).toEqual([])
  })
})
