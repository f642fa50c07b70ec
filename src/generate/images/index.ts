export type { GeneratedImage, ImageFormat, ImageRecipe, GeneratedInvalidBody, InvalidBodyClass, InvalidBodyRecipe } from './types.js';
export { validImageRecipe, renderImage, describeImage, describeVariant, type ValidImageConstraints } from './valid-image.js';
export { formatOfMediaType, mediaTypesByFormat, sniffImageFormat, formatByteSize, IMAGE_FORMATS } from './media-types.js';
export { dimensions, type DimensionConstraints, type Dimensions } from './dimensions.js';
export { pngRecipe, renderPng, PNG_COLOURS, PNG_BIT_DEPTHS, type PngColour, type PngRecipeConstraints } from './png.js';
export { jpegRecipe, renderJpeg, JPEG_MODES, type JpegMode, type JpegRecipeConstraints } from './jpeg.js';
export { gifRecipe, renderGif, GIF_FAMILIES, type GifFamily, type GifRecipeConstraints } from './gif.js';
export { tiffRecipe, renderTiff, TIFF_COMPRESSIONS, type TiffCompression, type TiffLayout, type TiffRecipeConstraints } from './tiff.js';
