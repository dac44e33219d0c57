// Minimal stand-ins for Foundation, enough to syntax-check metal_backend.mm on Linux
// (scripts/check-metal-objc.mjs). Not the real API: only the declarations that file uses.
#pragma once
typedef unsigned long NSUInteger;
typedef signed char BOOL;
#define nil ((id)0)
@interface NSObject
+ (instancetype)new;
@end
@interface NSString : NSObject
+ (instancetype)stringWithUTF8String:(const char*)s;
- (const char*)UTF8String;
@end
@interface NSError : NSObject
- (NSString*)localizedDescription;
@end
typedef struct dispatch_semaphore_s* dispatch_semaphore_t;
dispatch_semaphore_t dispatch_semaphore_create(long);
long dispatch_semaphore_signal(dispatch_semaphore_t);
long dispatch_semaphore_wait(dispatch_semaphore_t, unsigned long long);
#define DISPATCH_TIME_FOREVER (~0ull)
