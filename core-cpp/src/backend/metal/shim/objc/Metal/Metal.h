// Minimal stand-ins for Metal, enough to syntax-check metal_backend.mm on Linux
// (scripts/check-metal-objc.mjs). Not the real API: only the declarations that file uses.
#pragma once
typedef struct { NSUInteger width, height, depth; } MTLSize;
static inline MTLSize MTLSizeMake(NSUInteger w, NSUInteger h, NSUInteger d) { MTLSize s = {w, h, d}; return s; }
typedef enum { MTLResourceStorageModeShared = 0 } MTLResourceOptions;
typedef enum { MTLCommandBufferStatusError = 5 } MTLCommandBufferStatus;
@protocol MTLBuffer
- (void*)contents;
- (NSUInteger)length;
@end
@protocol MTLFunction
@end
@protocol MTLComputePipelineState
- (NSUInteger)maxTotalThreadsPerThreadgroup;
@end
@protocol MTLComputeCommandEncoder
- (void)setComputePipelineState:(id<MTLComputePipelineState>)p;
- (void)setBuffer:(id<MTLBuffer>)b offset:(NSUInteger)o atIndex:(NSUInteger)i;
- (void)setBytes:(const void*)p length:(NSUInteger)l atIndex:(NSUInteger)i;
- (void)dispatchThreadgroups:(MTLSize)g threadsPerThreadgroup:(MTLSize)t;
- (void)endEncoding;
@end
@protocol MTLCommandBuffer
- (id<MTLComputeCommandEncoder>)computeCommandEncoder;
- (void)addCompletedHandler:(void (^)(id<MTLCommandBuffer>))h;
- (void)commit;
- (MTLCommandBufferStatus)status;
- (NSError*)error;
@end
@protocol MTLCommandQueue
- (id<MTLCommandBuffer>)commandBuffer;
@end
@protocol MTLLibrary
- (id<MTLFunction>)newFunctionWithName:(NSString*)n;
@end
@interface MTLCompileOptions : NSObject
@end
@protocol MTLDevice
- (id<MTLBuffer>)newBufferWithLength:(NSUInteger)l options:(MTLResourceOptions)o;
- (id<MTLBuffer>)newBufferWithBytes:(const void*)p length:(NSUInteger)l options:(MTLResourceOptions)o;
- (id<MTLComputePipelineState>)newComputePipelineStateWithFunction:(id<MTLFunction>)f error:(NSError**)e;
- (id<MTLLibrary>)newLibraryWithSource:(NSString*)s options:(MTLCompileOptions*)o error:(NSError**)e;
- (id<MTLCommandQueue>)newCommandQueue;
- (NSString*)name;
@end
id<MTLDevice> MTLCreateSystemDefaultDevice(void);
